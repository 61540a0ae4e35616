/** en: the "models" section of the catalogue. */
export default {} as const;
