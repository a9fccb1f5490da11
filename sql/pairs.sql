-- dedupe: candidate pairs and their exact verification, over documents sketched on any number of
-- machines (`dedupe sketch PATH… --parquet DIR`, one DIR per shard).
--
-- Reads four tables (or views), each the union of the Parquet files of that name in every shard:
--   documents(doc, side, bytes, lines, words, compared, shingle_count, body_shingle_count,
--             full_shingle_count, content_hash, description, boilerplate_keys)
--   bands(doc, band, key)          one row per LSH band of each document with shingles
--   shingles(doc, kind, hash)      kind full: the shingle set of the full text, always,
--                                  kind body: the shingle set of the body, only where it differs from kind full
--   params(name, value)            the sketch parameters, which every shard must have the same
-- and defines two views:
--   dedupe_problems(problem)       one row per reason the shards cannot be joined: must be empty
--   dedupe_pairs(doc_a, doc_b, similarity, containment, exact)
--                                  every verified pair, doc_a < doc_b, as `dedupe --all-pairs`
--                                  finds them in memory: `dedupe report --pairs` reads it
--
-- The same rules as the in-memory engine (src/core/analyse.ts findPairs, comparedSimilarity,
-- src/cluster/cluster.ts reportedPairs):
-- * Identical documents (the same content_hash: the same normalised words in the same order)
--   always pair, with similarity 1 and exact = TRUE, whatever their size. Only the first copy of
--   each text (by path, incoming before baseline) takes part in the candidate search.
-- * Candidates: two first copies sharing a band key in the same band.
-- * Verification is exact: Jaccard = shared / (na + nb - shared) over the shingle sets the pair
--   is compared on, kept when >= the threshold. That is the compared set of each document (body or
--   full text), except that a pair of one document compared on its body and one compared on its
--   full text (a body too small to trust) is compared on both full texts.
-- * Every copy of each side of a verified pair is compared anew (the bodies of copies may differ) and
--   kept when at the threshold.
-- * With baseline shards (documents.side = baseline), a pair of two baseline documents is
--   never listed.
-- Standard SQL only: it runs as it is on DuckDB and on Spark SQL (3.x and 4.x). Its comments
-- hold no quote mark and no semicolon, which older spark-sql command lines read as code.

CREATE OR REPLACE TEMPORARY VIEW dedupe_problems AS
SELECT 'parameter ' || name || ' differs between shards' AS problem
FROM params
GROUP BY name
HAVING COUNT(DISTINCT value) > 1
UNION ALL
SELECT 'document ' || doc || ' is in more than one shard' AS problem
FROM documents
GROUP BY doc
HAVING COUNT(*) > 1;

CREATE OR REPLACE TEMPORARY VIEW dedupe_pairs AS
WITH
-- The threshold, only when every shard has the same one (else no pairs: see dedupe_problems).
settings AS (
  SELECT CAST(MIN(value) AS DOUBLE) AS threshold
  FROM params
  WHERE name = 'threshold'
  HAVING COUNT(DISTINCT value) = 1
),
docs AS (
  SELECT
    doc,
    COALESCE(side, 'incoming') AS side,
    compared,
    content_hash,
    -- Which stored set holds the compared text.
    CASE WHEN compared = 'body' AND body_shingle_count IS NOT NULL THEN 'body' ELSE 'full' END AS compared_kind,
    shingle_count,
    full_shingle_count,
    -- The copy searched: the first by path, incoming before baseline (the in-memory input order).
    FIRST_VALUE(doc) OVER (PARTITION BY content_hash ORDER BY CASE WHEN side = 'baseline' THEN 1 ELSE 0 END, doc) AS first_copy,
    -- A number per document, for the verification to group by: paths are long keys.
    ROW_NUMBER() OVER (ORDER BY doc) AS id
  FROM documents
),
first_copies AS (
  SELECT doc FROM docs WHERE doc = first_copy AND shingle_count > 0
),
first_bands AS (
  SELECT b.doc, b.band, b.key
  FROM bands b
  JOIN first_copies f ON f.doc = b.doc
),
candidates AS (
  SELECT DISTINCT a.doc AS doc_a, b.doc AS doc_b
  FROM first_bands a
  JOIN first_bands b ON a.band = b.band AND a.key = b.key AND a.doc < b.doc
),
-- The sets each candidate is compared on, and their sizes.
first_checks AS (
  SELECT
    c.doc_a,
    c.doc_b,
    -- One number per pair (fewer than 2^32 documents).
    da.id * 4294967296 + db.id AS pair,
    CASE WHEN da.compared = db.compared THEN da.compared_kind ELSE 'full' END AS kind_a,
    CASE WHEN da.compared = db.compared THEN db.compared_kind ELSE 'full' END AS kind_b,
    CASE WHEN da.compared = db.compared THEN da.shingle_count ELSE da.full_shingle_count END AS size_a,
    CASE WHEN da.compared = db.compared THEN db.shingle_count ELSE db.full_shingle_count END AS size_b
  FROM candidates c
  JOIN docs da ON da.doc = c.doc_a
  JOIN docs db ON db.doc = c.doc_b
  WHERE NOT (da.side = 'baseline' AND db.side = 'baseline')
),
-- The shingles two documents share: both sets listed per pair, less the distinct hashes among
-- them (a set holds each hash once). Shingles are joined by document only: a join on the hash
-- lets a planner pair every two documents that have a frequent shingle (a template line) first:
-- rows grow with the square of each shingle frequency (33 million for 8,900 documents whose
-- candidate pairs list 3.5 million).
first_hashes AS (
  SELECT p.pair, s.hash
  FROM first_checks p
  JOIN shingles s ON s.doc = p.doc_a AND s.kind = p.kind_a
  UNION ALL
  SELECT p.pair, s.hash
  FROM first_checks p
  JOIN shingles s ON s.doc = p.doc_b AND s.kind = p.kind_b
),
first_shared AS (
  SELECT p.doc_a, p.doc_b, p.size_a, p.size_b, c.shared
  FROM (SELECT pair, COUNT(*) - COUNT(DISTINCT hash) AS shared FROM first_hashes GROUP BY pair) c
  JOIN first_checks p ON p.pair = c.pair
),
first_verified AS (
  SELECT doc_a, doc_b,
    CAST(shared AS DOUBLE) / CAST(size_a + size_b - shared AS DOUBLE) AS similarity,
    CAST(shared AS DOUBLE) / CAST(LEAST(size_a, size_b) AS DOUBLE) AS containment
  FROM first_shared
  CROSS JOIN settings
  WHERE CAST(shared AS DOUBLE) / CAST(size_a + size_b - shared AS DOUBLE) >= settings.threshold
),
-- The other copies of each side of a verified pair: every pair of them but the pair of first copies itself.
-- They are checked by the same three steps as the first copies (copy_checks, copy_shared,
-- copy_verified): their pairs depend on first_verified, and a table function to share the steps
-- is not written the same way in DuckDB and Spark SQL.
copy_pairs AS (
  SELECT DISTINCT LEAST(ca.doc, cb.doc) AS doc_a, GREATEST(ca.doc, cb.doc) AS doc_b
  FROM first_verified v
  JOIN docs fa ON fa.doc = v.doc_a
  JOIN docs ca ON ca.content_hash = fa.content_hash
  JOIN docs fb ON fb.doc = v.doc_b
  JOIN docs cb ON cb.content_hash = fb.content_hash
  WHERE NOT (ca.doc = v.doc_a AND cb.doc = v.doc_b)
    AND NOT (ca.side = 'baseline' AND cb.side = 'baseline')
),
copy_checks AS (
  SELECT
    c.doc_a,
    c.doc_b,
    -- One number per pair (fewer than 2^32 documents).
    da.id * 4294967296 + db.id AS pair,
    CASE WHEN da.compared = db.compared THEN da.compared_kind ELSE 'full' END AS kind_a,
    CASE WHEN da.compared = db.compared THEN db.compared_kind ELSE 'full' END AS kind_b,
    CASE WHEN da.compared = db.compared THEN da.shingle_count ELSE da.full_shingle_count END AS size_a,
    CASE WHEN da.compared = db.compared THEN db.shingle_count ELSE db.full_shingle_count END AS size_b
  FROM copy_pairs c
  JOIN docs da ON da.doc = c.doc_a
  JOIN docs db ON db.doc = c.doc_b
),
copy_hashes AS (
  SELECT p.pair, s.hash
  FROM copy_checks p
  JOIN shingles s ON s.doc = p.doc_a AND s.kind = p.kind_a
  UNION ALL
  SELECT p.pair, s.hash
  FROM copy_checks p
  JOIN shingles s ON s.doc = p.doc_b AND s.kind = p.kind_b
),
copy_shared AS (
  SELECT p.doc_a, p.doc_b, p.size_a, p.size_b, c.shared
  FROM (SELECT pair, COUNT(*) - COUNT(DISTINCT hash) AS shared FROM copy_hashes GROUP BY pair) c
  JOIN copy_checks p ON p.pair = c.pair
),
copy_verified AS (
  SELECT doc_a, doc_b,
    CAST(shared AS DOUBLE) / CAST(size_a + size_b - shared AS DOUBLE) AS similarity,
    CAST(shared AS DOUBLE) / CAST(LEAST(size_a, size_b) AS DOUBLE) AS containment
  FROM copy_shared
  CROSS JOIN settings
  WHERE CAST(shared AS DOUBLE) / CAST(size_a + size_b - shared AS DOUBLE) >= settings.threshold
),
identical AS (
  SELECT a.doc AS doc_a, b.doc AS doc_b
  FROM docs a
  JOIN docs b ON a.content_hash = b.content_hash AND a.doc < b.doc
  CROSS JOIN settings
  WHERE NOT (a.side = 'baseline' AND b.side = 'baseline')
)
SELECT doc_a, doc_b, CAST(1 AS DOUBLE) AS similarity, CAST(1 AS DOUBLE) AS containment, TRUE AS exact FROM identical
UNION ALL
SELECT doc_a, doc_b, similarity, containment, FALSE AS exact FROM first_verified
UNION ALL
SELECT doc_a, doc_b, similarity, containment, FALSE AS exact FROM copy_verified;
