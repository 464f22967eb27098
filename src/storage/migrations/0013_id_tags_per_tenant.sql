-- Id tags are unique per tenant (case-insensitively), no longer across tenants: several operators
-- may register the same card.
DROP INDEX "id_tags_id_tag_ci";--> statement-breakpoint
CREATE UNIQUE INDEX "id_tags_tenant_id_tag_ci" ON "id_tags" USING btree ("tenant_id",lower("id_tag"));