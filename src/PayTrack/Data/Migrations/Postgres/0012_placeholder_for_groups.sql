-- PLACEHOLDER on branch notify only: number 0012 belongs to the groups branch. The migration runner
-- needs numbers without gaps; drop this file when merging (groups' 0012 takes its place).
SELECT 1;
