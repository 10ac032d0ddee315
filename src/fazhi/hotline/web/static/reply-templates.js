// 答复模板: "插入" puts a filled template into the action form's text box last edited (the
// reply box by default) at the cursor, and counts the use. Loaded with the panel; bound once.
(function () {
  "use strict";
  if (window.__fazhiReplyTemplates) {
    return;
  }
  window.__fazhiReplyTemplates = true;
  var last = null;

  document.addEventListener("focusin", function (event) {
    var box = event.target;
    if (box instanceof HTMLTextAreaElement && box.closest("#actions")) {
      last = box;
    }
  });

  function target() {
    if (last && document.body.contains(last)) {
      return last;
    }
    var reply = document.querySelector('#actions details[open] textarea, #actions textarea[name="reply"]');
    return reply || document.querySelector("#actions textarea");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.insert-template") : null;
    if (!button) {
      return;
    }
    var box = target();
    if (!box) {
      return;
    }
    var details = box.closest("details");
    if (details) {
      details.open = true;
    }
    var text = button.dataset.text || "";
    var start = box.selectionStart || 0;
    var end = box.selectionEnd || 0;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    box.selectionStart = box.selectionEnd = start + text.length;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    if (window.htmx) {
      window.htmx.ajax("POST", "/reply-templates/" + button.dataset.template + "/used", {
        source: document.body,
        swap: "none",
      });
    }
  });
})();
