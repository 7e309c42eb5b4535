// The dashboard's little JavaScript: live parts, and confirmations before a form acts.
"use strict";

// Event kinds of the API's event streams (a job's timeline, and every job's status and review decision);
// each is a reason to redraw a live part of the page.
const KINDS = ["status", "research", "fetch", "llm_call", "warning", "counts", "cost", "retry", "auto_apply",
  "sweep", "review", "final", "message"];
const POLL_MS = 2000;

// An element with data-live redraws itself from data-fragment (server-rendered HTML) whenever its
// data-events stream says something happened; without the stream (closed, refused) it polls instead.
function live(element) {
  let pending = false;
  let again = false; // something happened while a redraw was on its way: draw once more after it
  let poller = null;
  let stream = null;
  const state = document.querySelector("[data-live-state]");

  const finished = () => element.querySelector("[data-finished]") !== null || element.hasAttribute("data-finished");

  async function redraw() {
    if (pending) {
      again = true;
      return;
    }
    pending = true;
    again = false;
    try {
      const response = await fetch(element.dataset.fragment, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (response.redirected || response.status === 401 || response.status === 403) {
        window.location.assign("/dashboard/sign-in?next=" + encodeURIComponent(window.location.pathname));
        return;
      }
      if (response.ok) element.innerHTML = await response.text();
    } finally {
      pending = false;
    }
    if (finished() && element.dataset.fragment.includes("/live")) stop();
    else if (again) redraw();
  }

  function stop() {
    if (stream) stream.close();
    if (poller) clearInterval(poller);
    stream = null;
    poller = null;
  }

  function poll() {
    if (stream) { stream.close(); stream = null; }
    if (!poller) poller = setInterval(redraw, POLL_MS);
    if (state) state.textContent = "Updates every few seconds.";
  }

  if (finished() && element.dataset.fragment.includes("/live")) return;
  if (window.EventSource && element.dataset.events) {
    stream = new EventSource(element.dataset.events, { withCredentials: true });
    KINDS.forEach((kind) => stream.addEventListener(kind, redraw));
    stream.onopen = () => { if (state) state.textContent = "Updates live as jobs change."; redraw(); };
    // A stream that fails before it opens is one this server does not offer: poll. One that drops
    // after opening reconnects on its own (the browser sends Last-Event-ID).
    stream.onerror = () => { if (stream && stream.readyState === EventSource.CLOSED) poll(); };
    setTimeout(() => { if (stream && stream.readyState !== EventSource.OPEN) poll(); }, 3000);
  } else {
    poll();
  }
}

function confirmations() {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-live]").forEach(live);
  confirmations();
});
