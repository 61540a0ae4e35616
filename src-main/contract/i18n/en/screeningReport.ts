/** en: the "screeningReport" section of the catalogue. */
export default {} as const;
