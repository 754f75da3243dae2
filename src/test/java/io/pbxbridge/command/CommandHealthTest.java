package io.pbxbridge.command;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandHealthTest {

    static HealthCheck.Result call(CommandHealth health) {
        health.setCamelContext(new DefaultCamelContext());
        return health.call();
    }

    static CommandResult result(String id, CommandStatus status) {
        Instant now = Instant.now();
        return new CommandResult(id, status, "t", "escaux/main", "dial", null, null, null, null, null, null, false, 1,
                now, now, now, 0L);
    }

    @Test
    void countsAnswersAndGoesDownOnlyWhenTheLedgerIsAwayPastItsBudget() throws Exception {
        CommandHealth health = new CommandHealth("the table pbx_command in pbx", Duration.ofMillis(50));
        // the check's own clock, moved by the test: the budget is measured, not the test's pace
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        health.setClock(Clock.fixed(t0, ZoneOffset.UTC));
        health.answered(result("a", CommandStatus.OK), false);
        health.answered(result("a", CommandStatus.OK), true);
        health.answered(result("b", CommandStatus.FAILED), false);
        HealthCheck.Result up = call(health);
        assertEquals(HealthCheck.State.UP, up.getState());
        assertEquals(1L, up.getDetails().get("answered.ok"));
        assertEquals(1L, up.getDetails().get("answered.duplicate"));
        assertEquals(1L, up.getDetails().get("answered.failed"));
        assertTrue(up.getDetails().get("last").toString().startsWith("b failed at "));
        assertTrue(health.isReadiness() && !health.isLiveness());

        health.ledgerFailed(new SQLException("Connection refused"));
        health.setClock(Clock.fixed(t0.plusMillis(50), ZoneOffset.UTC));
        assertEquals(HealthCheck.State.UP, call(health).getState(), "within its budget");
        health.setClock(Clock.fixed(t0.plusMillis(51), ZoneOffset.UTC));
        HealthCheck.Result down = call(health);
        assertEquals(HealthCheck.State.DOWN, down.getState());
        assertTrue(down.getMessage().orElseThrow().startsWith("the command ledger (the table pbx_command in pbx) is "
                + "unreachable since "), down.getMessage().orElseThrow());
        assertEquals("Connection refused", down.getDetails().get("ledgerFailure"));
        health.ledgerWorks();
        assertEquals(HealthCheck.State.UP, call(health).getState());
    }
}
