/* Trang tài liệu API (/docs): dựng Swagger UI từ tệp của chính ứng dụng, không tải gì từ mạng ngoài.
   Kept out of the page itself because the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") { return; }
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null, // never send the schema to an outside validator
    persistAuthorization: false, // a pasted token is not kept in the browser's storage
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
})();
