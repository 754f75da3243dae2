package io.pbxbridge.sandbox.mor;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The simulator's tariff: destination groups (the Destinations page, by id), their directions (prefixes) and the
 * rates of the Rates page (one per group and type), in USD per minute; and exchange rates of the currencies a user
 * can switch to.
 */
final class MorData {

    /** A direction: a prefix of a group, of type FIX or MOB, with its rate. */
    record Direction(String prefix, String type, String details, BigDecimal rateUsd) {
    }

    /** A destination group (the Destinations page {@code %dest_id%} is its id, 1-based, in the Rates page's order). */
    record Group(int id, String name, String icon, List<Direction> directions) {
    }

    static final List<Group> GROUPS;
    /** Display currencies and their value in USD (1 USD = n of them). */
    static final Map<String, BigDecimal> CURRENCIES = new LinkedHashMap<>();

    static {
        CURRENCIES.put("USD", BigDecimal.ONE);
        CURRENCIES.put("EUR", new BigDecimal("0.92"));
        List<Group> g = new ArrayList<>();
        g.add(new Group(1, "Afghanistan", "afg.png", List.of(
                new Direction("9320", "FIX", "Afghanistan Kabul", new BigDecimal("0.2")),
                new Direction("9370", "MOB", "Afghanistan Mobile", new BigDecimal("0.25")))));
        g.add(new Group(2, "Australia", "aust.png", List.of(
                new Direction("61261", "FIX", "Australia Canberra", new BigDecimal("0.025")),
                new Direction("61262", "FIX", "Australia Canberra", new BigDecimal("0.025")),
                new Direction("614", "MOB", "Australia Mobile", new BigDecimal("0.12")))));
        g.add(new Group(3, "Germany", "ger.png", List.of(
                new Direction("4930", "FIX", "Germany Berlin", new BigDecimal("0.018")),
                new Direction("4915", "MOB", "Germany Mobile", new BigDecimal("0.09")))));
        g.add(new Group(4, "Lithuania", "ltu.png", List.of(
                new Direction("3705", "FIX", "Lithuania Vilnius", new BigDecimal("0.03")),
                new Direction("3706", "MOB", "Lithuania Mobile", new BigDecimal("0.11")))));
        g.add(new Group(5, "United Kingdom", "gbr.png", List.of(
                new Direction("4420", "FIX", "United Kingdom London", new BigDecimal("0.015")),
                new Direction("447", "MOB", "United Kingdom Mobile", new BigDecimal("0.05")))));
        g.add(new Group(6, "United States", "usa.png", List.of(
                new Direction("1212", "FIX", "USA 212 New York", new BigDecimal("0.049")),
                new Direction("1917", "MOB", "USA 917 New York Mobile", new BigDecimal("0.049")))));
        GROUPS = List.copyOf(g);
    }

    private MorData() {
    }

    static Group group(int id) {
        return id >= 1 && id <= GROUPS.size() ? GROUPS.get(id - 1) : null;
    }

    /** The group and direction of an external number (longest prefix), or null. */
    static Object[] direction(String number) {
        String n = number.startsWith("+") ? number.substring(1) : number.startsWith("00") ? number.substring(2) : number;
        Group bestGroup = null;
        Direction best = null;
        for (Group g : GROUPS) {
            for (Direction d : g.directions()) {
                if (n.startsWith(d.prefix()) && (best == null || d.prefix().length() > best.prefix().length())) {
                    best = d;
                    bestGroup = g;
                }
            }
        }
        return best == null ? null : new Object[] {bestGroup, best};
    }

    /** The Calls page's {@code destination} of an external number, e.g. {@code United States FIX USA 212 New York}. */
    static String destinationText(String number) {
        Object[] gd = direction(number);
        if (gd == null) {
            return "";
        }
        Group g = (Group) gd[0];
        Direction d = (Direction) gd[1];
        return DESTINATION_TEXTS.computeIfAbsent(d, k -> g.name() + " " + d.type() + " " + d.details());
    }

    /** One string per direction, not one per call. */
    private static final Map<Direction, String> DESTINATION_TEXTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The rate per minute in USD of an external number, or zero. */
    static BigDecimal rateUsd(String number) {
        Object[] gd = direction(number);
        return gd == null ? BigDecimal.ZERO : ((Direction) gd[1]).rateUsd();
    }

    /** A random external number of one of the directions. */
    static String randomNumber(Random random) {
        Group g = GROUPS.get(random.nextInt(GROUPS.size()));
        Direction d = g.directions().get(random.nextInt(g.directions().size()));
        StringBuilder b = new StringBuilder(d.prefix());
        while (b.length() < 11) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        return b.toString();
    }
}
