/** ja: the "studies" section of the catalogue. */
export default {} as const;
