using System;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <inheritdoc />
    public partial class Segments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "segments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    filter = table.Column<JsonElement>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_segments", x => x.id);
                    table.ForeignKey(
                        name: "fk_segments_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Segment conditions on custom fields compare with custom_fields @> '{"key": value}' (eq, in; ne negates it), which
            // a GIN index serves. jsonb_path_ops rather than the default jsonb_ops: a smaller and faster index for @>,
            // and no segment condition uses the key-existence operators (? ?| ?&) that only jsonb_ops serves.
            // Numeric, date and text-match conditions on custom fields cannot use any index; they are read from the
            // client's rows, which ix_leads_client_id_created_at finds.
            migrationBuilder.CreateIndex(
                name: "ix_leads_custom_fields",
                table: "leads",
                column: "custom_fields")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_segments_client_id_created_at",
                table: "segments",
                columns: new[] { "client_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_segments_client_id_name",
                table: "segments",
                columns: new[] { "client_id", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "segments");

            migrationBuilder.DropIndex(
                name: "ix_leads_custom_fields",
                table: "leads");
        }
    }
}
