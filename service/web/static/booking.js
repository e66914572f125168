// The booking page without a page load in between: choosing a time shows it with its
// terms in the book bar, and the bar's button confirms. Without this script the button
// leads to the review page, which shows the same before confirming.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.booking");
  if (!form) return;
  var bar = form.querySelector(".book-bar");
  var when = bar.querySelector(".when");
  var cancellation = bar.querySelector(".cancellation");
  var button = bar.querySelector("button[name=step]");
  function show(radio) {
    if (!radio || !radio.dataset.when) return;
    when.textContent = radio.dataset.when;
    if (cancellation) {
      cancellation.textContent = radio.dataset.cancellation;
      cancellation.hidden = false;
    }
    button.value = "confirm";
    button.textContent = button.dataset.confirm;
    bar.classList.add("ready");
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "slot") show(event.target);
  });
  show(form.querySelector("input[name=slot]:checked"));
});
