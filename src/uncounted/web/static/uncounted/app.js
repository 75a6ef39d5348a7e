// Small enhancements; every page works without them.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.add-mention");
  if (!button || !window.htmx) return;
  var total = document.getElementById("id_mentions-TOTAL_FORMS");
  var index = parseInt(total.value, 10);
  htmx.ajax("GET", button.dataset.url + "?index=" + index, {
    target: "#mention-rows",
    swap: "beforeend",
  }).then(function () {
    total.value = String(index + 1);
  });
});
