/* Keyboard shortcuts of a console page, as its 快捷键 legend lists them: each entry
   <… data-shortcut="Alt+C" data-shortcut-target="#content"> binds that key to its target —
   the first match on the page that can be used: a <details> is opened and its first field
   focused, a button or link clicked, a form submitted, any other control focused. The
   target "@form" is the form being filled in (submitted with its primary button). The
   legend is the documentation and the binding at once, so the two cannot disagree. */
(function () {
  "use strict";
  if (window.fazhiShortcuts) { return; }
  window.fazhiShortcuts = true;

  function parse(text) {
    var parts = text.toLowerCase().split("+").map(function (p) { return p.trim(); });
    return {
      alt: parts.indexOf("alt") >= 0,
      ctrl: parts.indexOf("ctrl") >= 0,
      shift: parts.indexOf("shift") >= 0,
      key: parts[parts.length - 1]
    };
  }

  function matches(want, event) {
    if (want.alt !== event.altKey || want.shift !== event.shiftKey) { return false; }
    if (want.ctrl !== (event.ctrlKey || event.metaKey)) { return false; }
    var key = (event.key || "").toLowerCase();
    if (key === want.key) { return true; }
    // With Alt held some layouts report another character: read the physical key.
    var code = event.code || "";
    return code === "Key" + want.key.toUpperCase() || code === "Digit" + want.key;
  }

  function usable(el) {
    return el.tagName === "DETAILS" || el.offsetParent !== null || el.getClientRects().length > 0;
  }

  function firstField(root) {
    return root.querySelector(
      "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])"
    );
  }

  function submit(form) {
    if (!form) { return false; }
    var button = form.querySelector("button.primary[type=submit], button[type=submit], input[type=submit]");
    if (typeof form.requestSubmit === "function") { form.requestSubmit(button || undefined); }
    else if (button) { button.click(); }
    else { form.submit(); }
    return true;
  }

  function act(target) {
    if (target === "@form") {
      var current = document.activeElement;
      return submit(current && current.closest ? current.closest("form") : null);
    }
    var el = Array.prototype.filter.call(document.querySelectorAll(target), usable)[0];
    if (!el) { return false; }
    if (el.tagName === "DETAILS") {
      el.open = true;
      var field = firstField(el);
      el.scrollIntoView({ block: "nearest" });
      if (field) { field.focus(); }
    } else if (el.tagName === "FORM") {
      submit(el);
    } else if (el.tagName === "BUTTON" || el.tagName === "A") {
      el.click();
    } else {
      el.focus();
      if (el.select && el.type !== "number" && el.tagName === "INPUT") { el.select(); }
    }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (!event.altKey && !event.ctrlKey && !event.metaKey) { return; }
    var entries = document.querySelectorAll("[data-shortcut][data-shortcut-target]");
    for (var i = 0; i < entries.length; i += 1) {
      var entry = entries[i];
      if (matches(parse(entry.getAttribute("data-shortcut")), event)) {
        if (act(entry.getAttribute("data-shortcut-target"))) { event.preventDefault(); }
        return;
      }
    }
  });
})();
