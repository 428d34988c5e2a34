// The few lines of jQuery UI's tabs that modeltranslation's tabbed_translation_fields.js calls
// ($(el).tabs({active: n}), $(el).tabs("option", "active", n) and a "tabsactivate" event whose
// ui.newTab is the <li>), loaded in place of jQuery UI (settings.JQUERY_UI_URL): jQuery UI
// would come from a CDN our Content-Security-Policy refuses, or as 250 KB of unmaintained
// vendored code for one widget. Same classes as jQuery UI, so modeltranslation's CSS styles it;
// ARIA tabs, with the arrow keys, Home and End moving between a field's languages.
(function ($) {
  "use strict";

  var KEYS = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 };

  function links(container) {
    return container.children(".ui-tabs-nav").children("li").children("a");
  }

  function activate(container, index, focus) {
    var tabs = links(container);
    var old = tabs.filter("[aria-selected=true]");
    index = Math.max(0, Math.min(index, tabs.length - 1));
    tabs.each(function (i, tab) {
      var chosen = i === index;
      var panel = document.getElementById(tab.getAttribute("aria-controls"));
      $(tab).attr({ "aria-selected": String(chosen), tabindex: chosen ? "0" : "-1" });
      $(tab).parent().toggleClass("ui-tabs-active ui-state-active", chosen);
      $(panel).toggleClass("ui-tabs-hide", !chosen).prop("hidden", !chosen);
    });
    var tab = tabs.eq(index);
    if (focus) tab.trigger("focus");
    if (old.length && old[0] !== tab[0]) {  // as jQuery UI: no event when the tabs are made
      container.trigger("tabsactivate", [{
        oldTab: old.parent(), newTab: tab.parent(),
        oldPanel: $("#" + old.attr("aria-controls")), newPanel: $("#" + tab.attr("aria-controls")),
      }]);
    }
  }

  function create(container, active) {
    container.addClass("ui-tabs");
    container.children("ul").first().addClass("ui-tabs-nav").attr("role", "tablist");
    links(container).each(function (i, tab) {
      var panelId = tab.getAttribute("href").slice(1);
      tab.id = panelId + "_tab";
      $(tab).attr({ role: "tab", "aria-controls": panelId }).parent().attr("role", "presentation");
      $(document.getElementById(panelId))
        .addClass("ui-tabs-panel").attr({ role: "tabpanel", "aria-labelledby": tab.id });
    });
    container.on("click", "[role=tab]", function (event) {
      event.preventDefault();  // the href names the panel; following it would scroll the page
      activate(container, links(container).index(this), false);
    });
    container.on("keydown", "[role=tab]", function (event) {
      var tabs = links(container), here = tabs.index(this), to;
      if (event.key in KEYS) to = (here + KEYS[event.key] + tabs.length) % tabs.length;
      else if (event.key === "Home") to = 0;
      else if (event.key === "End") to = tabs.length - 1;
      else return;
      event.preventDefault();
      activate(container, to, true);
    });
    activate(container, active || 0, false);
  }

  // modeltranslation makes its page-wide language switch after the tabs, showing its first
  // language whichever tab is open (an editor reading Hindi starts on the Hindi tabs): once it
  // is there (jQuery runs a ready callback added now after the current one), show the open one.
  var switchSynced = false;
  function syncSwitch(container) {
    if (switchSynced) return;
    switchSynced = true;
    $(function () {
      $("#modeltranslation-main-switch").val(String(container.tabs("option", "active")));
    });
  }

  $.fn.tabs = function (options, name, value) {
    if (options === "option") {
      if (value === undefined) return links(this.first()).index(links(this.first()).filter("[aria-selected=true]"));
      return this.each(function () { activate($(this), value, false); });
    }
    return this.each(function () {
      create($(this), (options || {}).active);
      syncSwitch($(this));
    });
  };
})(window.django && window.django.jQuery ? window.django.jQuery : window.jQuery);
