(function () {
  "use strict";
  var table = document.getElementById("students");
  var text = document.getElementById("filter-text");
  var status = document.getElementById("filter-status");
  var shown = document.getElementById("shown");
  function filter() {
    var q = text.value.toLowerCase(), s = status.value, n = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var ok = (!s || row.getAttribute("data-status") === s) && (!q || row.textContent.toLowerCase().indexOf(q) >= 0);
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = String(n);
  }
  function value(cell, numeric) {
    var v = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent.trim();
    return numeric ? parseFloat(v) || 0 : v.toLowerCase();
  }
  function sortBy(tbl, th, index) {
    var numeric = th.getAttribute("data-type") === "num";
    var up = !th.classList.contains("asc");
    Array.prototype.forEach.call(tbl.tHead.rows[0].cells, function (c) { c.classList.remove("asc", "desc"); });
    th.classList.add(up ? "asc" : "desc");
    var rows = Array.prototype.slice.call(tbl.tBodies[0].rows);
    rows.sort(function (a, b) {
      var x = value(a.cells[index], numeric), y = value(b.cells[index], numeric);
      return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
    });
    rows.forEach(function (r) { tbl.tBodies[0].appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (tbl) {
    Array.prototype.forEach.call(tbl.tHead.rows[0].cells, function (th, index) {
      th.addEventListener("click", function () { sortBy(tbl, th, index); });
    });
  });
  function fromHash() {
    var m = /^#status=([a-z_]+)$/.exec(window.location.hash);
    if (m) { status.value = m[1]; }
    filter();
  }
  text.addEventListener("input", filter);
  status.addEventListener("change", filter);
  window.addEventListener("hashchange", fromHash);
  fromHash();
  document.body.setAttribute("data-ready", "1");
}());
