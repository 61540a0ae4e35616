/** ja: the "settings" section of the catalogue. */
export default {} as const;
