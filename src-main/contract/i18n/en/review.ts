/** en: the "review" section of the catalogue. */
export default {} as const;
