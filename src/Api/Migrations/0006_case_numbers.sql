-- 0006: case numbers (办件编号) are drawn from one sequence: yyyy + six digits.
create sequence if not exists {schema}.case_number_seq;
