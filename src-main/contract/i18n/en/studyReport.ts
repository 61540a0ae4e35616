/** en: the "studyReport" section of the catalogue. */
export default {} as const;
