package org.rodsgate.omero;

/**
 * Values written into HQL text. {@code omero hql} takes no bound parameters (ome/omero-py src/omero/plugins/hql.py
 * builds its {@code ParametersI} with paging only), so a string value is written as an HQL string literal: in quotes,
 * each quote doubled — the only escape of HQL's lexer ({@code QUOTED_STRING} / {@code ESCqs} in hibernate-orm
 * hibernate-core/src/main/antlr/hql.g). A backslash is an ordinary character there, and {@code %} and {@code _} are
 * wildcards only after {@code like}, which rodsgate never uses: values are compared with {@code =}.
 */
public final class Hql {
    private Hql() {}

    /** {@code value} as an HQL string literal. */
    public static String string(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
