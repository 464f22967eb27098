CREATE TABLE "billable_sessions" (
	"transaction_id" integer PRIMARY KEY NOT NULL,
	"customer" text NOT NULL,
	"id_tag" text NOT NULL,
	"station_id" text NOT NULL,
	"stopped_at" timestamp with time zone NOT NULL,
	"cost" jsonb NOT NULL,
	"billing" text NOT NULL,
	"invoice_id" integer,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_counters" (
	"series" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "document_counters_series_year_pk" PRIMARY KEY("series","year")
);
--> statement-breakpoint
CREATE TABLE "invoice_customers" (
	"customer" text PRIMARY KEY NOT NULL,
	"billing" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"number" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"customer" text NOT NULL,
	"seller" jsonb NOT NULL,
	"buyer" jsonb NOT NULL,
	"currency" text NOT NULL,
	"total_excl_tax" numeric(18, 4) NOT NULL,
	"total_tax" numeric(18, 4) NOT NULL,
	"total" numeric(18, 4) NOT NULL,
	"lines" jsonb NOT NULL,
	"vat_summary" jsonb NOT NULL,
	"period" text,
	"credited_invoice_id" integer,
	"reason" text
);
--> statement-breakpoint
CREATE INDEX "billable_sessions_open" ON "billable_sessions" USING btree ("billing","stopped_at") WHERE "billable_sessions"."invoice_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number" ON "invoices" USING btree ("number");--> statement-breakpoint
CREATE INDEX "invoices_issued_at" ON "invoices" USING btree ("issued_at");--> statement-breakpoint
CREATE INDEX "invoices_customer" ON "invoices" USING btree (lower("customer"));--> statement-breakpoint
CREATE INDEX "invoices_credited" ON "invoices" USING btree ("credited_invoice_id");