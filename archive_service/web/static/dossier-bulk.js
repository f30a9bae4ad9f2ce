// The dossier page's selection: "select all", the count of ticked documents, and a confirmation before
// removing documents from the dossier. Without this script the checkboxes and buttons still work.
(function () {
  "use strict";
  var form = document.getElementById("chon-van-ban");
  if (!form) { return; }
  var all = document.getElementById("chon-tat-ca");
  var count = document.getElementById("so-da-chon");
  function boxes() { return Array.prototype.slice.call(document.querySelectorAll("input.chon-van-ban")); }
  function update() {
    var ticked = boxes().filter(function (b) { return b.checked; }).length;
    count.textContent = ticked ? "Đã chọn " + ticked + " văn bản." : "Chọn văn bản trong bảng để thao tác.";
    if (all) {
      all.checked = ticked > 0 && ticked === boxes().length;
      all.indeterminate = ticked > 0 && ticked < boxes().length;
    }
  }
  if (all) {
    all.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = all.checked; });
      update();
    });
  }
  boxes().forEach(function (b) { b.addEventListener("change", update); });
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  update();
})();
