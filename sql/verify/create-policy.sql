-- Makes a revision's policy again. %I: the policy; %I.%I: the table (its current name); %s: what followed
-- `ON table` in the revision's CREATE POLICY (AS, FOR, TO, USING, WITH CHECK), from the project's own offline SQL.
CREATE POLICY %I ON %I.%I %s
