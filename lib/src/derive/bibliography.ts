/**
 * The works the derivation cites (by key, through rich.ts cite()): the walker, structural
 * identifiability, and the symmetry view of it.
 */

/** One bibliography entry. */
export interface Reference {
  /** Key used by citations, e.g. "geyer2006". */
  key: string;
  /** Short form for running text, e.g. "Geyer, Seyfarth and Blickhan 2006". */
  short: string;
  authors: string;
  year: number;
  title: string;
  /** Journal with volume and pages, or publisher. */
  venue: string;
  doi?: string;
}

export const BIBLIOGRAPHY: readonly Reference[] = [
  {
    key: "geyer2006",
    short: "Geyer, Seyfarth and Blickhan 2006",
    authors: "H. Geyer, A. Seyfarth, R. Blickhan",
    year: 2006,
    title: "Compliant leg behaviour explains basic dynamics of walking and running",
    venue: "Proceedings of the Royal Society B 273(1603), 2861-2867",
    doi: "10.1098/rspb.2006.3637",
  },
  {
    key: "bellman1970",
    short: "Bellman and Åström 1970",
    authors: "R. Bellman, K. J. Åström",
    year: 1970,
    title: "On structural identifiability",
    venue: "Mathematical Biosciences 7(3-4), 329-339",
    doi: "10.1016/0025-5564(70)90132-X",
  },
  {
    key: "walter1997",
    short: "Walter and Pronzato 1997",
    authors: "É. Walter, L. Pronzato",
    year: 1997,
    title: "Identification of Parametric Models from Experimental Data",
    venue: "Springer, London (Communications and Control Engineering)",
  },
  {
    key: "raue2009",
    short: "Raue et al. 2009",
    authors: "A. Raue, C. Kreutz, T. Maiwald, J. Bachmann, M. Schilling, U. Klingmüller, J. Timmer",
    year: 2009,
    title:
      "Structural and practical identifiability analysis of partially observed dynamical models by exploiting the profile likelihood",
    venue: "Bioinformatics 25(15), 1923-1929",
    doi: "10.1093/bioinformatics/btp358",
  },
  {
    key: "massonis2020",
    short: "Massonis and Villaverde 2020",
    authors: "G. Massonis, A. F. Villaverde",
    year: 2020,
    title: "Finding and breaking Lie symmetries: implications for structural identifiability and observability in biological modelling",
    venue: "Symmetry 12(3), 469",
    doi: "10.3390/sym12030469",
  },
];

/** The entry with this key; throws for an unknown key (a broken citation). */
export function reference(key: string): Reference {
  const r = BIBLIOGRAPHY.find((b) => b.key === key);
  if (!r) throw new Error(`derive: no bibliography entry ${key}`);
  return r;
}

/** One line of plain text: authors (year). Title. Venue. doi. */
export function referenceText(r: Reference): string {
  return `${r.authors} (${r.year}). ${r.title}. ${r.venue}.${r.doi ? ` doi:${r.doi}` : ""}`;
}
