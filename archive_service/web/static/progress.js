/* Trang văn bản đang chờ xử lý: hỏi tiến độ định kỳ và tải lại trang khi đã đọc và kiểm tra xong. */
(function () {
  "use strict";
  var notice = document.querySelector("[data-progress-url]");
  if (!notice) { return; }
  var url = notice.getAttribute("data-progress-url");
  var text = notice.querySelector("p");
  var POLL_MS = 2000;
  var POLL_LIMIT = 450; // about a quarter of an hour, then the reader reloads by hand

  function poll(attempt) {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (data.done) {
          text.textContent = "Đã xử lý xong (" + data.status_label + "); đang tải lại trang…";
          window.location.reload();
        } else if (attempt < POLL_LIMIT) {
          window.setTimeout(function () { poll(attempt + 1); }, POLL_MS);
        }
      })
      .catch(function () {
        if (attempt < POLL_LIMIT) {
          window.setTimeout(function () { poll(attempt + 1); }, POLL_MS * 2);
        }
      });
  }

  text.textContent = "Văn bản đang chờ đọc và kiểm tra; trang sẽ tự cập nhật khi xong.";
  window.setTimeout(function () { poll(1); }, POLL_MS);
})();
