() => {
  document.addEventListener("click", (event) => {
    const chip = event.target.closest("a.regqa-chip");
    if (!chip) return;
    event.preventDefault();
    const box = document.querySelector("#regqa-ref textarea, #regqa-ref input");
    const button = document.querySelector("#regqa-ref-btn");
    if (!box || !button) return;
    box.value = chip.dataset.ref;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    document.querySelectorAll("a.regqa-chip.active").forEach((c) => c.classList.remove("active"));
    chip.classList.add("active");
    setTimeout(() => button.click(), 60);
  });
}
