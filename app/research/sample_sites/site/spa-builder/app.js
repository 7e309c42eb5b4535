// A single-page app: the builder's details arrive by XHR, then the page and its JSON-LD are written.
fetch("builder.json")
  .then((response) => response.json())
  .then((builder) => {
    const ld = document.createElement("script");
    ld.type = "application/ld+json";
    ld.textContent = JSON.stringify({
      "@context": "https://schema.org",
      "@type": "HomeAndConstructionBusiness",
      name: builder.name,
      telephone: builder.phone,
      address: { "@type": "PostalAddress", addressLocality: builder.city, addressRegion: builder.state },
    });
    document.head.appendChild(ld);
    document.getElementById("root").innerHTML =
      "<h1>" + builder.name + "</h1><p>Call " + builder.phone + "</p><p>" + builder.city + ", " + builder.state + "</p>";
  });
