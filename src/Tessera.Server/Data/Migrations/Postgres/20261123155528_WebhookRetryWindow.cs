using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tessera.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WebhookRetryWindow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_webhook_deliveries_webhook_subscriptions_SubscriptionId",
                table: "webhook_deliveries");

            migrationBuilder.AddColumn<long>(
                name: "RetryFromMs",
                table: "webhook_deliveries",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Rows written before: their window counts from their event, as it did.
            migrationBuilder.Sql("UPDATE webhook_deliveries SET \"RetryFromMs\" = \"CreatedAtMs\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RetryFromMs",
                table: "webhook_deliveries");

            migrationBuilder.AddForeignKey(
                name: "FK_webhook_deliveries_webhook_subscriptions_SubscriptionId",
                table: "webhook_deliveries",
                column: "SubscriptionId",
                principalTable: "webhook_subscriptions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
