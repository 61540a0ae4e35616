/** en: the "reports" section of the catalogue. */
export default {} as const;
