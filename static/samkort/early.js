// Runs before the page is drawn: marks that JavaScript works, so the menu can fold away on narrow screens without
// the full navigation flashing first. Without JavaScript the navigation simply stays open.
document.documentElement.classList.add("js");
