/** en: the "errors" section of the catalogue. */
export default {} as const;
