/** en: the "patients" section of the catalogue. */
export default {} as const;
