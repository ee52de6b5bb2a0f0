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
  // When an answer has rendered (chips or an abstention), bring its question to the top of
  // the chat, so the reader starts at the question rather than under the toolbar.
  let answered = 0;
  new MutationObserver(() => {
    const chat = document.querySelector("#regqa-chat");
    if (!chat) return;
    const done = chat.querySelectorAll(
      ".message-row.bot-row:has(a.regqa-chip), .message-row.bot-row:has(.regqa-abstain)"
    ).length;
    if (done === answered) return;
    answered = done;
    const questions = chat.querySelectorAll(".message-row.user-row");
    const last = questions[questions.length - 1];
    if (last) requestAnimationFrame(() => last.scrollIntoView({ block: "start" }));
  }).observe(document.body, { childList: true, subtree: true });
}
