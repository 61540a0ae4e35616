/**
 * The one track selected on the review screen, shared by the overlay on the original (its box is
 * highlighted) and the list of people (its row is highlighted and scrolled into the list's view).
 * A click on a box selects its track, a click on empty picture clears it, a click on a row
 * selects that row's track. Unlike the patient picker's choice, the patient can be selected too.
 */
export class TrackSelection {
  id = $state<number | null>(null);

  select(id: number | null): void {
    this.id = id;
  }

  /** After a reload: keeps the selection only when its track is still among `ids`. */
  keepIn(ids: readonly number[]): void {
    if (this.id !== null && !ids.includes(this.id)) this.id = null;
  }
}
