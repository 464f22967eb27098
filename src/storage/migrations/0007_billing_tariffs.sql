CREATE TABLE "session_tariffs" (
	"transaction_id" integer PRIMARY KEY NOT NULL,
	"tariff_id" text,
	"tariff_version" integer,
	"source" text,
	"internal" boolean DEFAULT false NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tariff_assignments" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"tariff_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tariff_assignments_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "tariff_versions" (
	"tariff_id" text NOT NULL,
	"version" integer NOT NULL,
	"body" jsonb NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	CONSTRAINT "tariff_versions_tariff_id_version_pk" PRIMARY KEY("tariff_id","version")
);
--> statement-breakpoint
CREATE TABLE "tariffs" (
	"id" text PRIMARY KEY NOT NULL,
	"current_version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "tariff_id" text;--> statement-breakpoint
ALTER TABLE "session_tariffs" ADD CONSTRAINT "session_tariffs_tariff_id_tariffs_id_fk" FOREIGN KEY ("tariff_id") REFERENCES "public"."tariffs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_assignments" ADD CONSTRAINT "tariff_assignments_tariff_id_tariffs_id_fk" FOREIGN KEY ("tariff_id") REFERENCES "public"."tariffs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_versions" ADD CONSTRAINT "tariff_versions_tariff_id_tariffs_id_fk" FOREIGN KEY ("tariff_id") REFERENCES "public"."tariffs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tariff_assignments_tariff" ON "tariff_assignments" USING btree ("tariff_id");