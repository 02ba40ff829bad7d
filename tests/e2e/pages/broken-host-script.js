// A council page's own script with bugs: it throws while loading, when the page is ready and
// on every click. The address widget must keep working beside it.
document.addEventListener('DOMContentLoaded', function () {
  throw new Error('host page bug when the page is ready');
});
document.addEventListener('click', function () {
  throw new Error('host page bug on a click');
});
window.hostPageSetUp();
