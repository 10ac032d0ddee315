/* htmx leaves 4xx answers unswapped by default, so a form refused by the server (422 with
   its Chinese message beside the field, 403, 404, 409 …) showed nothing at all. Every console
   page answers a refusal with the HTML to show, so swap those answers like a success; 5xx
   and network failures keep htmx's default (no swap). */
(function () {
  "use strict";
  if (window.fazhiHtmxErrors) { return; }
  window.fazhiHtmxErrors = true;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var status = detail.xhr ? detail.xhr.status : 0;
    if (status >= 400 && status < 500 && detail.xhr.responseText) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
})();
