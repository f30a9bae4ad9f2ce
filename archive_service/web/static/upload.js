// Drag-and-drop upload with per-file progress, then the check result of each file as it arrives.
//
// Every file is one item with a state; the row, the counts and the closing summary are drawn from the states,
// so that retrying or removing a file keeps them right. A refused file turns red (its bar goes away); a file
// the server refused for a passing reason (connection, server error) can be sent again, any file not yet
// stored can be removed. When the session expires the files not yet sent stay listed: the user logs in again
// in another tab, and the page fetches the new session's CSRF token before it sends them.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var endpoint = form.getAttribute("data-endpoint");
  var progressBase = form.getAttribute("data-progress");
  var linkEndpoint = form.getAttribute("data-link");
  var sessionEndpoint = form.getAttribute("data-session");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
  var versionOf = form.getAttribute("data-version-of");
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var zone = document.getElementById("drop-zone");
  var input = document.getElementById("file-input");
  // Ticked when the files are chosen: each keeps the mark it was chosen with, even if the box changes later.
  var electronicBox = document.getElementById("electronic");
  var table = document.getElementById("upload-table");
  var rows = document.getElementById("upload-rows");
  var summary = document.getElementById("upload-summary");
  var live = document.getElementById("upload-live");
  var expired = document.getElementById("session-expired");
  var unsentNames = document.getElementById("unsent-names");
  var resend = document.getElementById("resend");
  var resendHelp = document.getElementById("resend-help");
  var done = document.getElementById("upload-done");
  var doneText = document.getElementById("upload-done-text");
  var items = [];
  var queue = [];
  var active = 0;
  var paused = false; // the session expired: nothing is sent until the user has logged in again
  var CONCURRENCY = 2;
  var POLL_MS = 1500;
  var POLL_LIMIT = 400;

  // States: queued, sending, refused (the browser or the server said no), failed (may be sent again),
  // unsent (the session expired before it was sent), confirm (a new version that reads as another document),
  // stored (waiting for its check), checked.
  var PENDING = { queued: true, sending: true, stored: true };

  function announce(text) {
    var p = document.createElement("p");
    p.textContent = text;
    live.appendChild(p);
    while (live.childNodes.length > 5) { live.removeChild(live.firstChild); }
  }

  function count(test) {
    return items.filter(test).length;
  }

  function updateSummary() {
    var total = items.length;
    var uploaded = count(function (i) { return i.stored; });
    var checked = count(function (i) { return i.state === "checked"; });
    var failed = count(function (i) { return i.state === "refused" || i.state === "failed"; });
    var unsent = items.filter(function (i) { return i.state === "unsent"; });
    summary.textContent = total ? "Đã tải lên " + uploaded + "/" + total + " tệp; đã kiểm tra " + checked + " tệp" +
      (failed ? "; " + failed + " tệp không tải lên được" : "") +
      (unsent.length ? "; " + unsent.length + " tệp chưa gửi" : "") + "." : "Chưa có tệp nào.";
    expired.hidden = !paused;
    unsentNames.textContent = unsent.map(function (i) { return i.file.name; }).join(", ");
    var busy = count(function (i) { return PENDING[i.state] || i.state === "unsent" || i.state === "confirm"; });
    done.hidden = !total || busy > 0;
    if (!done.hidden) {
      var fresh = count(function (i) { return i.stored && !i.duplicate; });
      var dup = count(function (i) { return i.stored && i.duplicate; });
      doneText.textContent = "Đã xong: " + fresh + " tệp mới được lưu và kiểm tra" +
        (dup ? ", " + dup + " tệp đã có trong kho" : "") +
        (failed ? ", " + failed + " tệp không tải lên được (xem các dòng màu đỏ)" : "") + ".";
    }
    table.hidden = !total;
  }

  function cell(row, text) {
    var td = document.createElement("td");
    if (text) { td.textContent = text; }
    row.appendChild(td);
    return td;
  }

  function button(label, name, handler) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button secondary small";
    b.textContent = label;
    b.setAttribute("aria-label", label + " " + name);
    b.addEventListener("click", handler);
    return b;
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
    var mark = document.createElement("span");
    mark.className = "upload-mark";
    mark.hidden = true;
    barCell.appendChild(mark);
    var item = {
      file: file, row: row, bar: bar, mark: mark, state: "queued", stored: false, duplicate: false,
      confirmed: false, electronic: !!(electronicBox && electronicBox.checked), status: cell(row, "Đang chờ"), result: cell(row, ""), actions: cell(row, "")
    };
    rows.appendChild(row);
    items.push(item);
    return item;
  }

  function setActions(item) {
    item.actions.textContent = "";
    var name = item.file.name;
    if (item.state === "failed") {
      item.actions.appendChild(button("Thử lại", name, function () { retry(item); }));
    }
    if (item.state === "confirm") {
      item.actions.appendChild(button("Vẫn tải lên", name, function () { item.confirmed = true; retry(item); }));
    }
    if (!item.stored && item.state !== "sending") {
      item.actions.appendChild(button("Bỏ", name, function () { remove(item); }));
    }
  }

  function setState(item, state) {
    item.state = state;
    item.row.className = "upload-" + state;
    setActions(item);
    updateSummary();
  }

  // A refused or failed file: a red mark instead of the bar, the reason in the result cell.
  function refuse(item, message, state) {
    item.bar.hidden = true;
    item.mark.hidden = false;
    item.mark.textContent = "✕ Bị từ chối";
    item.status.textContent = "Không tải lên được";
    item.result.textContent = message;
    item.result.className = "field-error";
    announce(item.file.name + ": " + message);
    setState(item, state);
  }

  function unsent(item) {
    item.bar.value = 0;
    item.status.textContent = "Chưa gửi (phiên đăng nhập đã hết hạn)";
    setState(item, "unsent");
  }

  function askConfirmation(item, message) {
    item.bar.hidden = true;
    item.mark.hidden = false;
    item.mark.textContent = "⚠ Cần xác nhận";
    item.status.textContent = "Chờ xác nhận";
    item.result.textContent = "";
    item.result.className = "";
    var warning = document.createElement("p");
    warning.className = "version-warning";
    warning.setAttribute("role", "alert");
    warning.textContent = message;
    item.result.appendChild(warning);
    announce(item.file.name + ": " + message);
    setState(item, "confirm");
  }

  function remove(item) {
    queue = queue.filter(function (q) { return q !== item; });
    items = items.filter(function (i) { return i !== item; });
    item.row.parentNode.removeChild(item.row);
    announce("Đã bỏ " + item.file.name + " khỏi danh sách.");
    if (!items.some(function (i) { return i.state === "unsent"; })) { paused = false; }
    updateSummary();
  }

  function retry(item) {
    item.bar.hidden = false;
    item.bar.value = 0;
    item.mark.hidden = true;
    item.result.textContent = "";
    item.result.className = "";
    item.status.textContent = "Đang chờ";
    setState(item, "queued");
    queue.push(item);
    next();
  }

  function showResult(item, data) {
    if (!item.duplicate) { item.status.textContent = data.status_label; }
    if (!data.done) { return; }
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
    setState(item, "checked");
  }

  function poll(item, id, attempt) {
    fetch(progressBase + id + "/tien-do", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (items.indexOf(item) < 0) { return; }
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

  // A file whose bytes are already a document: say where it is, and offer to file it in this dossier too.
  function showDuplicate(item, one) {
    item.duplicate = true;
    var where = one.duplicate_of;
    item.status.textContent = "";
    var note = document.createElement("span");
    note.className = "duplicate-note";
    item.status.appendChild(note);
    if (!where || where.in_this_dossier) {
      note.textContent = "Đã có trong hồ sơ này (trùng nội dung); không lưu thêm bản mới.";
      return;
    }
    note.appendChild(document.createTextNode("Đã có trong kho, thuộc hồ sơ «" + where.dossier_title + "» ("));
    var view = document.createElement("a");
    view.href = "/van-ban/" + one.document.id;
    view.textContent = "xem văn bản";
    note.appendChild(view);
    note.appendChild(document.createTextNode("). "));
    var link = button("Đưa vào hồ sơ này", item.file.name, function () {
      link.disabled = true;
      sendLink(item, one.document.id, note, link);
    });
    item.status.appendChild(link);
  }

  function sendLink(item, documentId, note, link) {
    fetch(linkEndpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ document_id: documentId })
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) { throw new Error(answer.body && answer.body.error ? answer.body.error.message : ""); }
      link.parentNode.removeChild(link);
      note.textContent = "Đã đưa vào hồ sơ này (cùng bản gốc, không sao chép); hồ sơ nay có " +
        answer.body.document_count + " văn bản.";
      announce(item.file.name + ": đã đưa vào hồ sơ này.");
    }).catch(function (err) {
      link.disabled = false;
      note.appendChild(document.createTextNode(" Không đưa vào hồ sơ được" + (err.message ? ": " + err.message : ".")));
    });
  }

  function received(item, one) {
    item.bar.value = 100;
    item.stored = true;
    if (one.duplicate) {
      showDuplicate(item, one);
    } else if (one.reattached) {
      // The status cell follows the check; the note beside the name stays.
      var back = document.createElement("span");
      back.className = "duplicate-note";
      back.textContent = " Đã đưa lại vào hồ sơ (tệp này từng bị gỡ khỏi hồ sơ).";
      item.row.querySelector("th, td").appendChild(back);
      item.status.textContent = "Đã lưu, chờ kiểm tra";
    } else {
      item.status.textContent = "Đã lưu, chờ kiểm tra";
    }
    announce("Đã tải lên " + item.file.name);
    setState(item, "stored");
    poll(item, one.document.id, 0);
  }

  function answered(item, xhr) {
    var body = null;
    try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
    var error = body && body.error ? body.error : null;
    if (xhr.status === 401) {
      pause(item);
    } else if (xhr.status === 403 && error && error.code === "CSRF-INVALID" && !item.tokenRefreshed) {
      // Logged in again in another tab: this page's token is the old session's. Fetch the new one once.
      item.tokenRefreshed = true;
      refreshToken(function () { retry(item); }, function () { pause(item); });
    } else if (xhr.status >= 200 && xhr.status < 300 && body && body.items && body.items.length) {
      var one = body.items[0];
      if (one.error && one.error.code === "UPLOAD-VERSION-CHANGED") {
        askConfirmation(item, one.error.message);
      } else if (one.error) {
        refuse(item, one.error.message, "refused");
      } else {
        received(item, one);
      }
    } else if (xhr.status >= 500 || xhr.status === 0) {
      refuse(item, "Lỗi máy chủ (" + xhr.status + "); có thể thử lại.", "failed");
    } else {
      refuse(item, error ? error.message : "Lỗi máy chủ (" + xhr.status + ").", "refused");
    }
  }

  function upload(item) {
    active += 1;
    var xhr = new XMLHttpRequest();
    var data = new FormData();
    if (versionOf) { data.append("version_of", versionOf); }
    if (item.confirmed) { data.append("xac_nhan", "1"); }
    if (item.electronic) { data.append("electronic", "true"); }
    data.append("files", item.file, item.file.name);
    xhr.open("POST", endpoint);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    item.status.textContent = "Đang tải lên";
    setState(item, "sending");
    xhr.upload.addEventListener("progress", function (e) {
      // The last tenth is the server's answer: a file it refuses never shows a full bar.
      if (e.lengthComputable) { item.bar.value = Math.round((e.loaded / e.total) * 90); }
    });
    xhr.addEventListener("load", function () { answered(item, xhr); finished(); });
    xhr.addEventListener("error", function () {
      refuse(item, "Mất kết nối tới máy chủ; có thể thử lại.", "failed");
      finished();
    });
    xhr.send(data);
  }

  function pause(item) {
    paused = true;
    unsent(item);
    queue.forEach(unsent);
    queue = [];
    announce("Phiên đăng nhập đã hết hạn; các tệp chưa gửi vẫn được giữ.");
  }

  function refreshToken(onFresh, onExpired) {
    fetch(sessionEndpoint, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        csrf = data.csrf_token;
        document.querySelector('meta[name="csrf-token"]').setAttribute("content", csrf);
        onFresh();
      })
      .catch(onExpired);
  }

  function finished() {
    active -= 1;
    next();
  }

  function next() {
    while (!paused && active < CONCURRENCY && queue.length) { upload(queue.shift()); }
  }

  function accept(files) {
    var list = Array.prototype.slice.call(files);
    if (versionOf && list.length > 1) {
      announce("Bản đã sửa là một tệp: chỉ nhận tệp đầu tiên.");
      list = list.slice(0, 1);
    }
    list.forEach(function (file) {
      var item = addRow(file);
      var name = file.name.toLowerCase();
      if (!/\.(pdf|docx)$/.test(name)) {
        refuse(item, "Chỉ nhận tệp PDF hoặc DOCX.", "refused");
      } else if (file.size > maxBytes) {
        refuse(item, "Tệp vượt quá giới hạn dung lượng.", "refused");
      } else if (paused) {
        unsent(item);
      } else {
        setState(item, "queued");
        queue.push(item);
      }
    });
    updateSummary();
    next();
  }

  resend.addEventListener("click", function () {
    resendHelp.hidden = true;
    refreshToken(function () {
      paused = false;
      items.filter(function (i) { return i.state === "unsent"; }).forEach(retry);
      updateSummary();
    }, function () { resendHelp.hidden = false; });
  });
  window.addEventListener("beforeunload", function (e) {
    if (items.some(function (i) { return i.state === "queued" || i.state === "sending" || i.state === "unsent"; })) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  input.addEventListener("change", function () { accept(input.files); input.value = ""; });
  // Files chosen before this script ran (a slow page, or a form the browser restored) are sent as well.
  if (input.files && input.files.length) { accept(input.files); input.value = ""; }
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
