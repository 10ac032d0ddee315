// 延期审批: warn as soon as the days typed exceed the days asked, and require the
// confirmation box then. The server refuses an unconfirmed excess as well.
(function () {
  "use strict";
  if (window.fazhiExtensionApproval) { return; }
  window.fazhiExtensionApproval = true;

  function update(input) {
    var form = input.form;
    var box = form.querySelector("#excess-warning");
    var text = form.querySelector("#excess-text");
    var confirm = form.querySelector("#confirm-more");
    var asked = parseInt(input.getAttribute("data-requested"), 10);
    var days = parseInt(input.value, 10);
    var excess = !isNaN(asked) && !isNaN(days) && days > asked;
    box.hidden = !excess;
    confirm.required = excess;
    if (excess) {
      text.textContent = "批准的延期天数（" + days + "个工作日）多于申请的" + asked +
        "个工作日，请核实后勾选“确认批准多于申请的天数”再提交。";
    } else {
      confirm.checked = false;
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "approve-days") { update(event.target); }
  });
})();
