/* The work list: a header checkbox (data-check-all="NAME") ticks every row's checkbox of
   that name on the page. Without it each row is ticked by hand. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var all = event.target;
    var name = all.getAttribute && all.getAttribute("data-check-all");
    if (!name) { return; }
    Array.prototype.forEach.call(
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]'),
      function (box) { box.checked = all.checked; }
    );
  });
})();
