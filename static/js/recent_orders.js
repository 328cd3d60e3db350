// Recent Orders: asks every 20 seconds for rows newer than the newest one shown and adds
// them on top, without a reload. Only on the first page, where new rows belong.
(function () {
  "use strict";
  var table = document.getElementById("recent-orders-table");
  if (!table) {
    return;
  }
  var newest = table.getAttribute("data-newest");
  var base = table.getAttribute("data-newer-url");
  var status = document.getElementById("recent-orders-status");
  var body = table.tBodies[0];
  var INTERVAL_MS = 20000;
  if (!newest || !base) {
    return;
  }

  function url() {
    var joiner = base.slice(-1) === "?" ? "" : "&";
    return base + joiner + "newest=" + encodeURIComponent(newest);
  }

  function addRows(html) {
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    var fresh = Array.prototype.slice.call(holder.rows);
    for (var index = fresh.length - 1; index >= 0; index -= 1) {
      fresh[index].classList.add("fresh");
      body.insertBefore(fresh[index], body.firstChild);
    }
    var empty = body.querySelector("tr.empty");
    if (empty) {
      empty.remove();
    }
  }

  function poll() {
    if (document.hidden) {
      return;
    }
    fetch(url(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data.count) {
          addRows(data.rows_html);
          newest = data.newest;
          table.setAttribute("data-newest", newest);
          status.textContent =
            data.count + " new order" + (data.count === 1 ? "" : "s") + " added.";
        }
      })
      .catch(function () {
        status.textContent = "Could not check for new orders; trying again shortly.";
      });
  }

  window.setInterval(poll, INTERVAL_MS);
  document.addEventListener("visibilitychange", poll);
})();
