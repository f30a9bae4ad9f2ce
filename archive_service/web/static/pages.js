// The page images of a document (templates/_pages.html): a "Xem trên trang N" button on each finding card
// that has a place on a page; it shows that page and highlights the finding's box.
(function () {
  "use strict";
  const list = document.querySelector("[data-finding-pages]");
  if (!list) return;
  const findingPages = JSON.parse(list.dataset.findingPages || "[]");

  function show(number, page) {
    document.querySelectorAll(".page-box.active").forEach((el) => el.classList.remove("active"));
    const box = document.getElementById("khung-loi-" + number);
    const sheet = document.getElementById("trang-" + page);
    if (box) box.classList.add("active");
    const target = box || sheet;
    if (target) target.scrollIntoView({ block: "center" });
    if (sheet) sheet.focus({ preventScroll: true });
  }

  findingPages.forEach((page, index) => {
    if (page === null) return;
    const number = index + 1;
    const card = document.getElementById("loi-" + number);
    if (!card) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button secondary jump-page";
    button.textContent = "Xem trên trang " + page;
    button.setAttribute("aria-controls", "trang-" + page);
    button.addEventListener("click", () => show(number, page));
    (card.querySelector(".finding-head") || card).appendChild(button);
  });

  // A box clicked on a page leads to its card (its link); mark the box so that one sees where one came from.
  list.addEventListener("click", (event) => {
    const box = event.target.closest(".page-box");
    if (!box) return;
    document.querySelectorAll(".page-box.active").forEach((el) => el.classList.remove("active"));
    box.classList.add("active");
  });
})();
