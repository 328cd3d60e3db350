// Order Settings page: keep the fields enabled only while they apply.
// Disabled import disables every other field; Processing Order Status is enabled only
// while Order Status is Custom. The server applies the same rules to whatever is posted.
(function () {
  "use strict";

  function applyFieldStates(form) {
    if (form.dataset.readOnly === "true") {
      return;
    }
    var importSelect = form.elements.namedItem("import_enabled");
    var orderStatus = form.elements.namedItem("order_status");
    var processingStatus = form.elements.namedItem("processing_status");
    var importing = importSelect.value !== "0";

    Array.prototype.forEach.call(form.querySelectorAll("select, input:not([type=hidden])"), function (field) {
      if (field !== importSelect) {
        field.disabled = !importing;
      }
    });
    processingStatus.disabled = !importing || orderStatus.value !== "custom";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("order-settings-form");
    if (!form) {
      return;
    }
    form.addEventListener("change", function (event) {
      var name = event.target.name;
      if (name === "import_enabled" || name === "order_status") {
        applyFieldStates(form);
      }
    });
    applyFieldStates(form);
  });
})();
