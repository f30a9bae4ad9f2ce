// Drag-and-drop upload with per-file progress, then the check result of each file as it arrives.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var endpoint = form.getAttribute("data-endpoint");
  var progressBase = form.getAttribute("data-progress");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
  var versionOf = form.getAttribute("data-version-of");
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var zone = document.getElementById("drop-zone");
  var input = document.getElementById("file-input");
  var table = document.getElementById("upload-table");
  var rows = document.getElementById("upload-rows");
  var summary = document.getElementById("upload-summary");
  var live = document.getElementById("upload-live");
  var queue = [];
  var active = 0;
  var CONCURRENCY = 2;
  var POLL_MS = 1500;
  var POLL_LIMIT = 400;
  var stats = { total: 0, uploaded: 0, checked: 0, failed: 0 };

  function announce(text) {
    var p = document.createElement("p");
    p.textContent = text;
    live.appendChild(p);
    while (live.childNodes.length > 5) { live.removeChild(live.firstChild); }
  }

  function updateSummary() {
    summary.textContent = "Đã tải lên " + stats.uploaded + "/" + stats.total + " tệp; đã kiểm tra " +
      stats.checked + " tệp" + (stats.failed ? "; " + stats.failed + " tệp không tải lên được" : "") + ".";
  }

  function cell(row, text) {
    var td = document.createElement("td");
    if (text) { td.textContent = text; }
    row.appendChild(td);
    return td;
  }

  function addRow(file) {
    var row = document.createElement("tr");
    var th = document.createElement("th");
    th.scope = "row";
    th.textContent = file.name;
    row.appendChild(th);
    var barCell = cell(row, "");
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Tiến độ tải lên " + file.name);
    barCell.appendChild(bar);
    var status = cell(row, "Đang chờ");
    var result = cell(row, "");
    rows.appendChild(row);
    table.hidden = false;
    return { file: file, row: row, bar: bar, status: status, result: result };
  }

  function fail(item, message) {
    stats.failed += 1;
    item.status.textContent = "Không tải lên được";
    item.result.textContent = message;
    item.result.className = "field-error";
    announce(item.file.name + ": " + message);
    updateSummary();
  }

  function showResult(item, data) {
    item.status.textContent = data.status_label;
    if (!data.done) { return; }
    stats.checked += 1;
    item.result.textContent = "";
    var badge = document.createElement("span");
    badge.className = "badge val-" + data.validation_status;
    badge.textContent = data.validation_label;
    item.result.appendChild(badge);
    var counts = " " + data.errors + " lỗi, " + data.warnings + " cảnh báo ";
    item.result.appendChild(document.createTextNode(counts));
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = "Xem chi tiết";
    link.setAttribute("aria-label", "Xem chi tiết " + data.filename);
    item.result.appendChild(link);
    announce("Kết quả kiểm tra " + data.filename + ": " + data.validation_label + "," + counts);
    updateSummary();
  }

  function poll(item, id, attempt) {
    fetch(progressBase + id + "/tien-do", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        showResult(item, data);
        if (!data.done && attempt < POLL_LIMIT) {
          window.setTimeout(function () { poll(item, id, attempt + 1); }, POLL_MS);
        }
      })
      .catch(function () {
        if (attempt < POLL_LIMIT) {
          window.setTimeout(function () { poll(item, id, attempt + 1); }, POLL_MS * 2);
        }
      });
  }

  function upload(item) {
    active += 1;
    var xhr = new XMLHttpRequest();
    var data = new FormData();
    if (versionOf) { data.append("version_of", versionOf); }
    data.append("files", item.file, item.file.name);
    xhr.open("POST", endpoint);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    item.status.textContent = "Đang tải lên";
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { item.bar.value = Math.round((e.loaded / e.total) * 100); }
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300 && body && body.items && body.items.length) {
        var one = body.items[0];
        if (one.error) {
          fail(item, one.error.message);
        } else {
          item.bar.value = 100;
          stats.uploaded += 1;
          item.status.textContent = one.duplicate ? "Đã có trong kho (trùng nội dung)" : "Đã lưu, chờ kiểm tra";
          announce("Đã tải lên " + item.file.name);
          updateSummary();
          poll(item, one.document.id, 0);
        }
      } else {
        fail(item, body && body.error ? body.error.message : "Lỗi máy chủ (" + xhr.status + ").");
      }
      done();
    });
    xhr.addEventListener("error", function () { fail(item, "Mất kết nối tới máy chủ."); done(); });
    xhr.send(data);
  }

  function done() {
    active -= 1;
    next();
  }

  function next() {
    while (active < CONCURRENCY && queue.length) { upload(queue.shift()); }
  }

  function accept(files) {
    Array.prototype.forEach.call(files, function (file) {
      stats.total += 1;
      var item = addRow(file);
      var name = file.name.toLowerCase();
      if (!/\.(pdf|docx)$/.test(name)) {
        fail(item, "Chỉ nhận tệp PDF hoặc DOCX.");
      } else if (file.size > maxBytes) {
        fail(item, "Tệp vượt quá giới hạn dung lượng.");
      } else {
        queue.push(item);
      }
    });
    updateSummary();
    next();
  }

  input.addEventListener("change", function () { accept(input.files); input.value = ""; });
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("dragging"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files) { accept(e.dataTransfer.files); }
  });
}());
