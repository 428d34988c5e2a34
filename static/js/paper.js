// A paper's clock: shows the time the server said was left, counting down, and once the
// deadline and the network grace have passed reloads the paper's page, where the server
// (which owns the deadline) closes and marks it.
(function () {
  "use strict";

  var ANNOUNCE_AT = [300, 60];

  function clock(seconds) {
    var whole = Math.ceil(seconds);
    var h = Math.floor(whole / 3600);
    var m = Math.floor((whole % 3600) / 60);
    var s = whole % 60;
    var mm = (h && m < 10 ? "0" : "") + m;
    return (h ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
  }

  function start(box) {
    var text = box.querySelector("[data-timer-clock]");
    var bar = box.querySelector("progress");
    var announcer = box.querySelector("[data-timer-announce]");
    var endsAt = performance.now() + parseFloat(box.dataset.secondsLeft) * 1000;
    var announced = {};
    var closing = false;
    var handle = setInterval(tick, 250);

    function tick() {
      var left = Math.max(0, (endsAt - performance.now()) / 1000);
      var shown = clock(left);
      if (text.textContent !== shown) text.textContent = shown;
      bar.value = left;
      box.classList.toggle("is-low", left <= 60);
      ANNOUNCE_AT.forEach(function (mark) {
        if (Math.ceil(left) === mark && !announced[mark]) {
          announced[mark] = true;
          // The words come from the page (data-say-300, data-say-60), in the page's language.
          announcer.textContent = announcer.getAttribute("data-say-" + mark) || mark / 60 + " minute" + (mark === 60 ? "" : "s") + " left";
        }
      });
      if (left <= 0 && !closing) {
        closing = true;
        announcer.textContent = announcer.getAttribute("data-say-closing") || "Time is up: your paper is being closed and marked.";
        // An answer saved within the grace still counts: the server closes the paper after it.
        setTimeout(function () {
          clearInterval(handle);
          window.location.assign(box.dataset.expiredUrl);
        }, (parseFloat(box.dataset.graceSeconds || "0") + 0.5) * 1000);
      }
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-paper-timer]");
    if (box) start(box);
  });
})();
