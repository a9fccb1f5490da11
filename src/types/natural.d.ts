// natural's package root pulls in database drivers and prints dotenv banners on stdout, so we
// import single modules by path; these declarations cover the ones we use.
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_es.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_fr.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_it.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_nl.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_no.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_pl.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_pt.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_ru.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_sv.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_uk.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_id.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_fa.js' {
  export const words: string[];
}
