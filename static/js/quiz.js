// Pariksha quiz page behaviour: the countdown, keys 1-4 / A-D (options) and S / F / G (how sure), and focus after htmx swaps.
// The server owns the clock: this script only shows the time the server said was left, and
// when it reaches zero asks the server to close the question (the server checks the deadline).
(function () {
  "use strict";

  var ANNOUNCE_AT = [10, 5];
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var activeTimer = null;

  function startTimer(root) {
    if (activeTimer) activeTimer.stop();
    var box = root.querySelector("[data-timer]");
    var form = root.querySelector("[data-answer-form]");
    if (!box || !form) return;
    var secondsEl = box.querySelector("[data-timer-seconds]");
    var bar = box.querySelector("progress");
    var announcer = box.querySelector("[data-timer-announce]");
    var endsAt = performance.now() + parseFloat(box.dataset.secondsLeft) * 1000;
    var announced = {};
    var expired = false;
    var shownSeconds = secondsEl.textContent;
    var handle;

    function tick() {
      if (!box.isConnected) return stop();
      var left = Math.max(0, (endsAt - performance.now()) / 1000);
      var whole = Math.ceil(left);
      // The text changes once a second: rewriting it ten times a second costs a phone layout
      // work (and a screen reader's attention) for nothing.
      if (String(whole) !== shownSeconds) {
        shownSeconds = String(whole);
        secondsEl.textContent = shownSeconds;
      }
      // Without motion the bar moves in whole-second steps instead of gliding.
      bar.value = reducedMotion.matches ? whole : left;
      box.classList.toggle("is-low", left <= 5);
      ANNOUNCE_AT.forEach(function (mark) {
        if (whole === mark && !announced[mark]) {
          announced[mark] = true;
          // The words come from the page (data-say-10, data-say-5), in the page's language.
          announcer.textContent = announcer.getAttribute("data-say-" + mark) || mark + " seconds left";
        }
      });
      if (left <= 0 && !expired) {
        expired = true;
        stop();
        expire(form);
      }
    }

    function stop() {
      clearInterval(handle);
      if (activeTimer && activeTimer.box === box) activeTimer = null;
    }

    handle = setInterval(tick, 100);
    activeTimer = { box: box, stop: stop };
    tick();
  }

  // Time is up: an option selected but not submitted goes with it, and the server judges it
  // as any answer (it counts if it arrives within the grace); with none it is a time-out.
  function expire(form) {
    var selected = form.querySelector("input[name=choice]:checked");
    var sure = form.querySelector("input[name=confidence]:checked");
    if (window.htmx) {
      window.htmx.ajax("POST", form.getAttribute("action"), {
        source: form,
        target: "#stage",
        values: { action: "expire", choice: selected ? selected.value : "", confidence: sure ? sure.value : "" },
      });
      return;
    }
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "expire";
    form.appendChild(action);
    form.submit();
  }

  function pickByKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type === "text"))) return;
    var key = event.key.toUpperCase();
    var form = document.querySelector("[data-answer-form]");
    if (!form) return nextByKey(event, key, target);
    if (key === "ENTER" && form.contains(target) && target.tagName !== "BUTTON") {
      event.preventDefault();
      form.requestSubmit(form.querySelector("button[value=answer]"));
      return;
    }
    var option = form.querySelector(
      'input[data-key="' + key + '"], input[data-letter="' + key + '"], input[data-confidence-key="' + key + '"]'
    );
    if (option) {
      event.preventDefault();
      option.checked = true;
      option.focus();
    }
  }

  // On the feedback screen N or Enter goes on. Enter on a link or button keeps its own meaning.
  function nextByKey(event, key, target) {
    var next = document.querySelector("[data-feedback] [data-next]");
    if (!next || (key !== "N" && key !== "ENTER")) return;
    if (key === "ENTER" && target && target.closest("a, button, summary")) return;
    event.preventDefault();
    next.click();
  }

  function focusNew(root) {
    var el = root.querySelector("[data-autofocus]");
    if (el) el.focus({ preventScroll: false });
  }

  // The app answers a refused htmx request with a 4xx fragment (the message, the question
  // still open) that htmx swaps into its target (the htmx-config in base.html). Under DEBUG,
  // django-htmx's script listens on the document and would put any 400/403/404 in place of the
  // whole page; stopping the event on the root element, on its way up, keeps it from doing so
  // for our fragments. Django's own error pages (whole documents) still reach it.
  document.documentElement.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.status < 500 && !/^\s*<(!doctype|html)/i.test(xhr.responseText)) {
      event.stopPropagation();
    }
  });

  document.addEventListener("keydown", pickByKey);
  document.addEventListener("DOMContentLoaded", function () {
    startTimer(document);
    if (document.querySelector("#stage")) focusNew(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var stage = document.getElementById("stage");
    if (!stage || !stage.contains(event.detail.elt) && event.detail.elt !== stage) return;
    startTimer(stage);
    focusNew(stage);
  });
})();
