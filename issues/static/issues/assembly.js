/*
 * The order of an issue's items on its admin page.
 *
 * The position fields stay the source of truth and can be typed by hand; this script
 * only rewrites them: after a row is dragged by its handle (or moved with the arrow
 * keys on it), when an item is moved to another section with its select, and when a
 * position is typed, the rows are put in order and numbered 1, 2, 3… in each section.
 * A row dropped among another section's items joins that section. Saving keeps the
 * order shown.
 *
 * Only saved items are moved around the page: Django's inline script renames the forms
 * in page order when a new one is removed, and new ones must stay after the saved ones.
 * A new item is numbered last in its section and found in its place after saving.
 *
 * On the “Add from inbox” page, choosing a section ticks the item's box.
 */
"use strict";
{
    const field = (row, name) => row.querySelector(`[name="${row.id}-${name}"]`);
    const isSaved = (row) => row.classList.contains("has_original");
    const isDeleted = (row) => field(row, "DELETE")?.checked === true;

    function rowsOf(group) {
        return Array.from(group.querySelectorAll(".inline-related")).filter(
            (row) => !row.classList.contains("empty-form") && field(row, "section"),
        );
    }

    function sectionOrder(group) {
        const select = group.querySelector('select[name$="-section"]');
        const order = new Map();
        Array.from(select ? select.options : [])
            .filter((option) => option.value)
            .forEach((option, index) => order.set(option.value, {index, title: option.text}));
        return order;
    }

    function announce(group, message) {
        const status = group.querySelector(".assembly-status");
        if (status) {
            status.textContent = message;
        }
    }

    // Numbers the rows 1, 2, 3… per section, in page order, and labels each row.
    function renumber(group) {
        const order = sectionOrder(group);
        const counts = new Map();
        for (const row of rowsOf(group)) {
            const section = field(row, "section").value;
            const position = field(row, "position");
            const label = row.querySelector(".assembly-place");
            if (!section || !position || isDeleted(row)) {
                if (label) {
                    label.textContent = isDeleted(row) ? "to be deleted" : "no section yet";
                }
                continue;
            }
            const number = (counts.get(section) || 0) + 1;
            counts.set(section, number);
            if (position.value !== String(number)) {
                position.value = String(number);
            }
            if (label) {
                const title = order.get(section)?.title || "";
                label.textContent = `${title}, position ${number}`;
            }
        }
    }

    // Puts the saved rows in section order, then by their typed positions.
    function arrange(group, preferred) {
        const order = sectionOrder(group);
        const rows = rowsOf(group);
        const saved = rows.filter(isSaved);
        if (!saved.length) {
            return;
        }
        const rank = (row) => [
            order.get(field(row, "section").value)?.index ?? order.size,
            parseInt(field(row, "position").value, 10) || 0,
            row === preferred ? 0 : 1,
            rows.indexOf(row),
        ];
        const sorted = saved
            .map((row) => [rank(row), row])
            .sort(([a], [b]) => {
                for (let i = 0; i < a.length; i++) {
                    if (a[i] !== b[i]) {
                        return a[i] - b[i];
                    }
                }
                return 0;
            })
            .map(([, row]) => row);
        // Saved rows come first on the page: re-append them before the first new one.
        const anchor = rows.find((row) => !isSaved(row)) || group.querySelector(".empty-form");
        for (const row of sorted) {
            anchor ? anchor.before(row) : row.parentNode.append(row);
        }
    }

    function moved(group, row) {
        renumber(group);
        const title = row.querySelector(".inline_label")?.firstChild?.textContent?.trim();
        const place = row.querySelector(".assembly-place")?.textContent;
        announce(group, `“${title}” is now in ${place}.`);
    }

    // Moves ``row`` next to ``target`` and into its section.
    function place(group, row, target, after) {
        if (row === target || !isSaved(target)) {
            return;
        }
        after ? target.after(row) : target.before(row);
        field(row, "section").value = field(target, "section").value;
        moved(group, row);
    }

    function addHandle(group, row) {
        const heading = row.querySelector("h3");
        if (!heading || row.querySelector(".assembly-handle")) {
            return;
        }
        const label = document.createElement("span");
        label.className = "assembly-place";
        const title = heading.querySelector(".inline_label");
        title ? title.after(" ", label) : heading.append(" ", label);
        if (!isSaved(row)) {
            return;
        }
        const handle = document.createElement("button");
        handle.type = "button";
        handle.className = "assembly-handle";
        handle.textContent = "⠿";
        handle.title = "Drag to move; or use the arrow keys, or type the position";
        handle.setAttribute("aria-label", "Move this item with the up and down arrow keys");
        heading.prepend(handle, " ");
        handle.draggable = true;
        handle.addEventListener("keydown", (event) => {
            if (event.key !== "ArrowUp" && event.key !== "ArrowDown") {
                return;
            }
            event.preventDefault();
            const saved = rowsOf(group).filter(isSaved);
            const index = saved.indexOf(row);
            const up = event.key === "ArrowUp";
            const neighbour = saved[up ? index - 1 : index + 1];
            if (neighbour) {
                place(group, row, neighbour, !up);
                handle.focus();
            }
        });
    }

    function setUpDragging(group) {
        let dragged = null;
        const clear = () => {
            for (const row of group.querySelectorAll(".assembly-drop-before, .assembly-drop-after")) {
                row.classList.remove("assembly-drop-before", "assembly-drop-after");
            }
        };
        const targetOf = (event) => {
            const row = event.target.closest(".inline-related");
            return row && dragged && row !== dragged && isSaved(row) ? row : null;
        };
        const isLowerHalf = (event, row) => {
            const box = row.getBoundingClientRect();
            return event.clientY > box.top + box.height / 2;
        };
        group.addEventListener("dragstart", (event) => {
            const handle = event.target.closest?.(".assembly-handle");
            dragged = handle?.closest(".inline-related.has_original") || null;
            if (!dragged) {
                return;
            }
            event.dataTransfer.effectAllowed = "move";
            event.dataTransfer.setData("text/plain", dragged.id);
            event.dataTransfer.setDragImage(dragged, 16, 16);
            dragged.classList.add("assembly-dragging");
        });
        group.addEventListener("dragover", (event) => {
            const row = targetOf(event);
            if (!row) {
                return;
            }
            event.preventDefault();
            event.dataTransfer.dropEffect = "move";
            clear();
            row.classList.add(isLowerHalf(event, row) ? "assembly-drop-after" : "assembly-drop-before");
        });
        group.addEventListener("drop", (event) => {
            const row = targetOf(event);
            if (!row) {
                return;
            }
            event.preventDefault();
            place(group, dragged, row, isLowerHalf(event, row));
        });
        group.addEventListener("dragend", () => {
            clear();
            if (dragged) {
                dragged.classList.remove("assembly-dragging");
            }
            dragged = null;
        });
    }

    function setUpIssuePage(group) {
        group.classList.add("assembly-items");
        const status = document.createElement("p");
        status.className = "assembly-status visually-hidden";
        status.setAttribute("role", "status");
        group.prepend(status);
        // Long items make long drags: a button folds every item to its first lines.
        const fold = document.createElement("button");
        fold.type = "button";
        fold.className = "button assembly-fold";
        fold.textContent = "Show titles only";
        fold.setAttribute("aria-pressed", "false");
        fold.addEventListener("click", () => {
            const folded = group.classList.toggle("assembly-folded");
            fold.setAttribute("aria-pressed", String(folded));
            fold.textContent = folded ? "Show whole items" : "Show titles only";
        });
        group.querySelector(".inline-heading")?.after(fold);
        for (const row of rowsOf(group)) {
            addHandle(group, row);
        }
        group.addEventListener("change", (event) => {
            const row = event.target.closest(".inline-related");
            if (!row || row.classList.contains("empty-form")) {
                return;
            }
            const name = event.target.name || "";
            if (name.endsWith("-section") && isSaved(row)) {
                // To the end of its new section.
                field(row, "position").value = "999999";
                arrange(group, null);
                moved(group, row);
            } else if (name.endsWith("-section") || name.endsWith("-DELETE")) {
                renumber(group);
            } else if (name.endsWith("-position") && isSaved(row)) {
                arrange(group, row);
                moved(group, row);
            }
        });
        document.addEventListener("formset:added", (event) => {
            if (group.contains(event.target)) {
                addHandle(group, event.target);
                renumber(group);
            }
        });
        setUpDragging(group);
        // Positions typed before a refused save are kept, and the rows follow them.
        arrange(group, null);
        renumber(group);
    }

    function setUpInboxPage(table) {
        table.addEventListener("change", (event) => {
            const select = event.target;
            if (select.tagName !== "SELECT" || !select.value) {
                return;
            }
            const box = select.closest("tr")?.querySelector('input[type="checkbox"]');
            if (box) {
                box.checked = true;
            }
        });
    }

    function init() {
        const group = document.getElementById("items-group");
        if (group) {
            setUpIssuePage(group);
        }
        for (const table of document.querySelectorAll(".assembly-table.inbox")) {
            setUpInboxPage(table);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
}
