CREATE TABLE "station_commands" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"action" text NOT NULL,
	"request" jsonb NOT NULL,
	"outcome" text NOT NULL,
	"response" jsonb,
	"error_code" text,
	"error_description" text,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"latency_ms" integer
);
--> statement-breakpoint
CREATE TABLE "ocpp_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"direction" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"message_type" text,
	"message_id" text,
	"action" text,
	"frame" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "station_commands_station_time" ON "station_commands" USING btree ("station_id","requested_at");--> statement-breakpoint
CREATE INDEX "ocpp_messages_station_time" ON "ocpp_messages" USING btree ("station_id","at");--> statement-breakpoint
CREATE INDEX "ocpp_messages_time" ON "ocpp_messages" USING btree ("at");