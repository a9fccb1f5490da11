/** Something the run could not do or had to guess, about one path: carried into the report and printed on stderr. */
export interface Warning {
  path: string;
  message: string;
}
