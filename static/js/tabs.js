// Progressive enhancement only: on a phone the debate's tabs are one scrolling row; bring the
// current tab into view so the visitor sees where they are. Without JavaScript the row starts at
// "Overview" and scrolls by hand (the arrow at its edge says so).
(function () {
  var current = document.querySelector('.debate-nav [aria-current="page"]');
  if (!current) return;
  var row = current.closest('ul');
  if (row && row.scrollWidth > row.clientWidth) {
    row.scrollLeft = current.parentElement.offsetLeft - row.offsetLeft - 16;
  }
})();
