// 知识库推荐 on the intake form: 插入答复 puts the article's answer into 即时答复 (#answer) at
// the cursor and notes the article's id in #knowledge_ids, so the use is counted when the
// order is registered (a proposal shown but not used counts nothing).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest(".insert-knowledge") : null;
  if (!button) return;
  var box = document.getElementById("answer");
  if (!box) return;
  var text = button.getAttribute("data-answer") || "";
  var start = box.selectionStart == null ? box.value.length : box.selectionStart;
  var end = box.selectionEnd == null ? box.value.length : box.selectionEnd;
  box.value = box.value.slice(0, start) + text + box.value.slice(end);
  var ids = document.getElementById("knowledge_ids");
  if (ids) {
    var list = ids.value ? ids.value.split(" ") : [];
    var id = button.getAttribute("data-article");
    if (list.indexOf(id) < 0) list.push(id);
    ids.value = list.join(" ");
  }
  box.focus();
  box.setSelectionRange(start + text.length, start + text.length);
});
