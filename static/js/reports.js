// The reports' Print button. It cannot be an inline onclick: the Content-Security-Policy
// runs scripts from this site's files only, and blocks inline handlers.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
