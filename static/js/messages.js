// A live region announces what changes in it, not what it held when the page loaded: the page
// arrives with an empty status region, and the messages (shown as a list for everyone) are read
// into it once the page has loaded, so screen readers say "Class created..." unasked.
(function () {
  "use strict";
  function announce() {
    var list = document.querySelector("[data-messages]");
    var region = document.querySelector("[data-announce]");
    if (!list || !region) return;
    // A moment later than load: a region filled in the same task it appeared in is missed.
    window.setTimeout(function () {
      region.textContent = list.textContent.replace(/\s+/g, " ").trim();
    }, 150);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", announce);
  else announce();
})();
